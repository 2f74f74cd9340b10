"""Shared test set-up: plain factory functions (factories.py) and scenario builders that walk objects
through the real services (scenarios.py). The root conftest.py turns the common ones into fixtures;
see docs/architecture.md ("Tests")."""
