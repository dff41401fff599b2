"""painmap: why an organ's pain is felt in the back."""

__version__ = "0.1.0"
