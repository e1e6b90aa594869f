from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "knowledge"
    label = "knowledge"
    verbose_name = _("Knowledge base")

    def ready(self) -> None:
        from community import markup
        from knowledge import attachment_parent, extensions, search_index, selectors
        from knowledge.models import Article

        extensions.register()
        search_index.register()
        attachment_parent.register()
        from knowledge import demo
        from profiles.seeding import register_demo_loader

        register_demo_loader(demo.load, order=30)
        markup.register_cooked_field(Article, source="body", html="body_html",
                                     version="body_markup_version")
        markup.register_link_titler(r"/kb/a/(?P<slug>[^/#?]{1,300})/?",
                                    selectors.public_article_title)
