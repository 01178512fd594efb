"""The admin pages under /admin (admins only): sites, users, the audit log, data subjects, data inventory.

The views live by area in site_views, user_views and record_views; each registers on the one blueprint.
"""

from __future__ import annotations

from . import record_views, site_views, user_views
from .blueprint import bp

__all__ = ["bp", "record_views", "site_views", "user_views"]
