"""Notifications: the in-app list of what waits for a user, and the outbox."""

from flask import Blueprint

bp = Blueprint("notifications", __name__)
