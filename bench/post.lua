-- POST with a small form body (the baseline insert view is CSRF-exempt).
wrk.method = "POST"
wrk.body = "payload=x"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
