// Test playbook: the cli_files playbook as its own CLI (bin/foobar-infra test/cli/playbooks/files.ts -i ENV …).
import { isMain, run } from "../../../lib/cli/main.ts";
import { filesPlaybook, inventory } from "./fixture-site.ts";

if (isMain(import.meta.url)) void run(filesPlaybook, inventory);
