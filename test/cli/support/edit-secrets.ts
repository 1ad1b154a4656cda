// A process that edits one secret with $EDITOR (lib/secrets/edit.ts), for edit-signals.test: the editor it is given signals it.
import { editValues } from "../../../lib/secrets/edit.ts";

process.env.EDIT_TEST_PID = String(process.pid);
await editValues({ db_app_password: "old-value-123" }, "secrets/production.age");
