from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "bedside.content"
    label = "content"
    verbose_name = "Content"
