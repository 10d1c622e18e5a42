"""Template helpers of the statistics pages."""
from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``row.figures|get_item:code`` — a dict's value by a variable key (None when missing)."""
    return (mapping or {}).get(key)
