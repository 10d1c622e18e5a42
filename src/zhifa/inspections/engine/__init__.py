"""The draw's machinery (抽取引擎): reading the register in credit code order (``scan``), the
register snapshot (``snapshot``), building the frozen list (``frozen``) and writing what a draw
produces (``store``). SQL, numpy and byte layouts live here; the use cases that call them — and
record what they did — are in ``services.draw``."""
