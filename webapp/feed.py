"""Atom feed of any search (placeholder)."""

from flask import Blueprint

bp = Blueprint("feed", __name__)
