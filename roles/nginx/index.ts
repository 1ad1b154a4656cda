// Role nginx: the web server on port 80 in front of the app, X-Served-By on every response.
import { defineRole } from "../../lib/dsl/role.ts";
import { schema } from "./schema.ts";

const SITE = "/etc/nginx/sites-available/foobar";

export default defineRole({
  name: "nginx",
  dir: import.meta.dirname,
  schema,
  tasks: ({ r }) => [
    r.package("nginx"),
    r.file("/etc/nginx/sites-enabled/default", null, { state: "absent", notify: "reload nginx" }),
    r.template("/etc/nginx/conf.d/foobar-http.conf", "http.conf.ejs", {
      mode: "0644",
      validate: "nginx -t",
      notify: "reload nginx",
    }),
    r.template(SITE, "site.conf.ejs", { mode: "0644", validate: "nginx -t", notify: "reload nginx" }),
    r.symlink("/etc/nginx/sites-enabled/foobar", SITE, { notify: "reload nginx" }),
    r.service("nginx", { state: "started", enabled: true }),
  ],
  handlers: {
    "reload nginx": ({ r }) => r.serviceAction("nginx", "reloaded"),
  },
});
