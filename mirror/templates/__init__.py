"""Page templates, each imitating a CMS that Vietnamese council sites run on."""

from mirror.templates.aspnet import AspNetTemplate
from mirror.templates.base import Crumbs, Furniture, MenuItem, Template
from mirror.templates.bootstrap import BootstrapTemplate
from mirror.templates.html5 import Html5Template
from mirror.templates.vnportal import VnPortalTemplate

TEMPLATE_CLASSES: dict[str, type[Template]] = {
    cls.name: cls for cls in (AspNetTemplate, BootstrapTemplate, Html5Template, VnPortalTemplate)
}

__all__ = ["TEMPLATE_CLASSES", "Crumbs", "Furniture", "MenuItem", "Template"]
