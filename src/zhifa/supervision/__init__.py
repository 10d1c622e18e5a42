"""行政执法监督 (supervision): what the supervision office reads across every body of its
jurisdiction. First, the records audit view (全过程记录查阅): any record stream in scope, its
entries and its chain verified (``selectors``, ``api``, ``views``)."""
