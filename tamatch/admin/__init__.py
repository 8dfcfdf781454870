"""Administration: users, invitations, organisations and the audit log."""

from flask import Blueprint

bp = Blueprint("admin", __name__)
