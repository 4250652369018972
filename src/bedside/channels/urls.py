from django.urls import path

from bedside.channels import views

app_name = "channels"
urlpatterns = [
    path("", views.channel_list, name="list"),
    path("new/", views.channel_new, name="new"),
    path("<int:pk>/", views.channel_detail, name="detail"),
    path("<int:pk>/test/", views.channel_test, name="test"),
]
