# The deployment's part of the Varnish configuration (ketamine.vcl includes it as "site.vcl").
# Copy it to /etc/varnish/site.vcl and fill in the app servers.

probe healthz {
    # /healthz answers 503 when the app server cannot reach the database, or it is read-only
    # (health.py); it answers over plain HTTP in production, as the probe asks.
    .url = "/healthz";
    .interval = 2s;
    .timeout = 1s;
    .window = 3;
    .threshold = 2;
}

# .host_header: the Host the probe sends, one of the app servers' ALLOWED_HOSTS (they refuse
# any other host with a 400, which would mark them sick).
backend app1 {
    .host = "10.0.0.11"; .port = "8000"; .probe = healthz;
    .host_header = "ketamine.example.org";
}
backend app2 {
    .host = "10.0.0.12"; .port = "8000"; .probe = healthz;
    .host_header = "ketamine.example.org";
}

sub vcl_init {
    new app = directors.round_robin();
    app.add_backend(app1);
    app.add_backend(app2);
}

# Who may send BAN: the app servers, to the listener named "purge" (varnishd -a
# purge=10.0.0.10:6082; their PURGE_URLS setting points there). A BAN on the public listener,
# where nginx sends visitors' requests, is refused whatever its address.
acl purgers {
    "localhost";
    "10.0.0.0"/24;
}

sub offline_page {
    # Written by `python manage.py write_offline_page /var/lib/varnish/ketamine-503.html`
    # at each release (it is the app's templates/503.html, with the crisis numbers).
    set beresp.status = 503;
    synthetic(std.fileread("/var/lib/varnish/ketamine-503.html"));
}
