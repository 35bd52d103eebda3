from django import template

register = template.Library()


@register.filter
def is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


@register.simple_tag
def heat_class(section, value) -> str:
    """The heat-0 … heat-4 class of a cell in a heat-map table (empty for text cells)."""
    return section.heat_class(value) if section.heat else ""
