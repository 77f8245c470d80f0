# Varnish 7 (Debian's `varnish` package) in front of the ketamine-info app servers.
#
# The app says what may be kept (ketamine_info/caching/edge.py): public pages carry
#   Cache-Control: max-age=0, s-maxage=60, stale-while-revalidate=30, stale-if-error=86400
# and everything for staff is `private, no-store`. Varnish keeps a page for s-maxage, serves it
# stale for 30 s while fetching it again, and for the stale-if-error time while no app server
# is healthy; a page it never had gets the site's own 503 page. A publish sends BAN (the app's
# PURGE_URLS setting, ketamine_info/caching/purge.py) once per publish, which drops every page of
# the site at once.
#
# This file is the same for every deployment (docs/deploy.md; the two-server test in
# tests/edge/ runs it). The deployment's own part is `site.vcl`, found on vcl_path: it
# defines the app servers and their health probe, the director `app`, the ACL `purgers`
# (who may BAN, on the "purge" listener only), and `sub offline_page` (the 503 page). See
# site.example.vcl beside this file.
vcl 4.1;

import std;
import directors;

include "site.vcl";

sub vcl_recv {
    if (req.method == "BAN") {
        # Only on the listener named "purge" (varnishd -a purge=ADDRESS:PORT), which nothing
        # that forwards visitors' requests connects to, and only from the app servers: nginx
        # on this host connects from an address in `purgers` too.
        if (local.socket != "purge" || client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        # Every page of the site, under whatever host name it was asked for (localhost,
        # LOCALHOST, 127.0.0.1, www.…): a page shows the article list, the contact blocks, the
        # sources, so any publish may change any page. Lurker-friendly: obj.* only.
        ban("obj.http.x-site == ketamine-info");
        return (synth(200, "Banned"));
    }
    set req.backend_hint = app.backend();
    # Staff (anyone with a session) go to the app servers, which tell a real session from a
    # forged one; Varnish only keeps what comes back public.
    if (req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }
    # No public page reads a cookie: junk cookies must not split the cache or bypass it.
    if (req.method == "GET" || req.method == "HEAD") {
        unset req.http.Cookie;
    }
    # While an app server is healthy, a page past its s-maxage is served stale for at most
    # 30 s (the app's stale-while-revalidate) as it is fetched again; when none is healthy,
    # for as long as its stale-if-error allows (beresp.grace below).
    if (std.healthy(req.backend_hint)) {
        set req.grace = 30s;
    }
}

sub vcl_backend_response {
    # Marks what came from the site, for BAN; removed before delivery.
    set beresp.http.x-site = "ketamine-info";
    # Only what the app marked keepable is kept: pages with s-maxage, static files marked
    # public by whitenoise; no default TTL for anything else.
    if (!beresp.http.Cache-Control || beresp.http.Cache-Control !~ "(s-maxage|public)") {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    if (beresp.http.Cache-Control ~ "stale-if-error=\d+") {
        set beresp.grace = std.duration(
            regsub(beresp.http.Cache-Control, ".*stale-if-error=(\d+).*", "\1s"), 0s);
    }
}

sub vcl_backend_error {
    # No app server answered and there was no copy to serve: the site's own calm 503 page.
    set beresp.http.Content-Type = "text/html; charset=utf-8";
    set beresp.http.Cache-Control = "no-store";
    set beresp.http.Retry-After = "120";
    call offline_page;
    return (deliver);
}

sub vcl_deliver {
    # Whether this answer came from the proxy's cache: for tests and for people looking.
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    unset resp.http.x-site;
    unset resp.http.Via;
    unset resp.http.X-Varnish;
}
