from django.apps import AppConfig


class ListeningConfig(AppConfig):
    name = "bedside.listening"
    label = "listening"
    verbose_name = "Listening"
