"""Off-site enforcement (非现场执法, R22): monitoring devices with their legality file, captures
taken in bulk, reviewed one by one by a person, and an accepted capture turned into a case."""
