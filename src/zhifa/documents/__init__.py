"""The document set (文书): templates, numbering (文号), PDF/DOCX rendering (R16).

It renders what a higher app (cases, inspections, transfers) hands it — a document kind, the
issuing body and a context dict — and knows nothing of cases (architecture.md, imports).
"""
