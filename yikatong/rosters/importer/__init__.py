"""Roster import per specs/roster-template.md: parse, normalise, validate, compare, persist."""
