"""Accounts: sign-in and out, invitations, passwords and the second factor."""

from flask import Blueprint

bp = Blueprint("auth", __name__)
