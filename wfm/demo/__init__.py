"""The demo centre: a realistic, deterministic customer-service centre built from a seed."""
