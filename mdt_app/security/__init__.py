"""Who did what, provably, and who else can read it: the audit chain, signatures,
verification, user accounts, private files and encryption at rest."""
