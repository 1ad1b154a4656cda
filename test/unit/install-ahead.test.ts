// One package transaction per host: the host's plays' packages move to its first play that installs any, with the
// units its plays start held from starting with their packages; what must stay where it is, stays.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { file } from "../../lib/resources/file.ts";
import { packages, type PackageResource } from "../../lib/resources/package.ts";
import { service } from "../../lib/resources/service.ts";
import type { Resource } from "../../lib/resources/resource.ts";
import { installAhead } from "../../lib/runner/install-ahead.ts";
import type { HostWork } from "../../lib/runner/plan.ts";

const work = (...resources: Resource<any>[]): HostWork => ({ resources, handlers: [] });
const ids = (works: HostWork[]) => works.map((item) => item.resources.map((resource) => resource.id));
const installScript = (resource: Resource<any>) => resource.apply({ installed: new Map() });

test("every play's packages go in with the first play that installs any, at its first package's place", () => {
  const works = [
    work(file("/etc/motd", "hi\n")),
    work(packages("openssh-server"), service("ssh", { state: "started" }), packages("ufw")),
    work(
      packages(["nginx", "curl"]),
      file("/etc/nginx/x", "x\n"),
      service("nginx", { state: "started", enabled: true }),
    ),
    work(service("certbot.timer", { state: "started" }), packages("certbot")),
  ];
  installAhead(works);
  assert.equal(ids(works), [
    ["file:/etc/motd"],
    ["package:certbot,curl,nginx,openssh-server,ufw", "service:ssh"],
    ["file:/etc/nginx/x", "service:nginx"],
    ["service:certbot.timer"],
  ]);
  const script = installScript(works[1]!.resources[0]!);
  assert.match(script, /install certbot curl nginx openssh-server ufw$/);
  assert.match(
    script,
    /for unit in certbot\.timer nginx\.service ssh\.service; do/,
    "the units the plays start are held while they arrive",
  );
});

test("a package that notifies stays in its play; a package installed in one play and removed in another stops the move", () => {
  const notifying = [work(packages("ufw")), work(packages("nginx", { notify: "reload" }), packages("curl"))];
  installAhead(notifying);
  assert.equal(ids(notifying), [["package:curl,ufw"], ["package:nginx"]]);
  const contradictory = [work(packages("ufw")), work(packages("nginx")), work(packages("nginx", { state: "absent" }))];
  installAhead(contradictory);
  assert.equal(ids(contradictory), [["package:ufw"], ["package:nginx"], ["package:nginx"]]);
  assert.is((contradictory[2]!.resources[0] as PackageResource).packageState, "absent");
});

test("nothing to install leaves the plays as they are; the shortest cache age asked for wins", () => {
  const none = [work(service("ssh", { state: "started" }))];
  installAhead(none);
  assert.equal(ids(none), [["service:ssh"]]);
  const ages = [
    work(packages("ufw", { cacheMaxAgeSeconds: 7200 })),
    work(packages("nginx", { cacheMaxAgeSeconds: 60 })),
  ];
  installAhead(ages);
  assert.is((ages[0]!.resources[0] as PackageResource).options.cacheMaxAgeSeconds, 60);
});

test.run();
