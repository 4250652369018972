from django.urls import path

from bedside.publishing import views

app_name = "publishing"
urlpatterns = [
    path("pause/", views.pause, name="pause"),
    path("deliveries/<int:pk>/reschedule/", views.delivery_reschedule, name="delivery_reschedule"),
    path("deliveries/<int:pk>/drop/", views.delivery_drop, name="delivery_drop"),
    path("deliveries/<int:pk>/retry/", views.delivery_retry, name="delivery_retry"),
    path("deliveries/<int:pk>/resolve/", views.delivery_resolve, name="delivery_resolve"),
    path("deliveries/<int:pk>/remove/", views.delivery_remove, name="delivery_remove"),
    path("deliveries/<int:pk>/edit-retry/", views.delivery_edit_retry, name="delivery_edit_retry"),
]
