"""The version of slopguard."""

__version__ = "0.1.0"
