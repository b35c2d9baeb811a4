from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.static import serve

from accounts import urls as account_urls
from fansite import views
from fansite.sitemaps import SITEMAPS

# The admin signs in through allauth, so its rate limits apply there too.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Romy and Michele Fans: editors"
admin.site.site_title = "Fan site admin"
admin.site.index_title = "Films, people, news and discussions"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("theme/", views.theme, name="theme"),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("admin/", admin.site.urls),
    # The accounts namespace, with the two account pages that reach into every app (fansite
    # may import them all; accounts may not).
    path(
        "",
        include(
            (
                [
                    *account_urls.urlpatterns,
                    path("accounts/delete/", views.account_delete, name="delete"),
                    path("accounts/export/", views.account_export, name="export"),
                ],
                account_urls.app_name,
            )
        ),
    ),
    path("accounts/", include("allauth.urls")),
    path("", include("films.urls")),
    path("news/", include("news.urls")),
    path("discussions/", include("comments.urls")),
    # The address DESIGN.md gives; the page lives with the rest of the discussions.
    path(
        "notifications/",
        RedirectView.as_view(pattern_name="comments:notifications"),
        name="notifications",
    ),
]

if settings.DEBUG or settings.LOCAL_SERVE:
    # Uploaded media in development and under `make serve`, which has no proxy in front; in
    # production the proxy serves MEDIA_ROOT at MEDIA_URL (README, Deploy).
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]
