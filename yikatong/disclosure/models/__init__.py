"""Models of the public half (issue 15): one module per subject, imported here."""
