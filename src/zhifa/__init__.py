"""zhifa (执法): the platform on which a city runs and supervises administrative law enforcement."""
