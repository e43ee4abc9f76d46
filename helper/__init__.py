"""投诉助手 (Tousu Helper): the local helper daemon behind the browser extension."""

__version__ = "0.1.0"
