"""maplint: finds maps and dicts shared between goroutines or threads without a guard."""

__version__ = "0.1.0"

from maplint.finding import Finding, Related, Span  # noqa: E402

__all__ = ["Finding", "Related", "Span", "__version__"]
