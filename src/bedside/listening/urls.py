app_name = "listening"
urlpatterns: list = []
