"""sldiag: a diagnostic expert system for Cisco Smart Licensing on IOS-XE."""

__version__ = "0.1.0"
