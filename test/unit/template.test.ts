// ejs rendering: strict names (errors name template and line), secrets revealed only into content.
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Secret } from "../../lib/secret.ts";
import { renderTemplate, TemplateError } from "../../lib/template.ts";

const fixtures = join(import.meta.dirname, "fixtures", "templates");

test("an undefined variable fails with the template file and line", () => {
  try {
    renderTemplate(join(fixtures, "strict.ejs"), { port: 80, vars: { optional: undefined } });
    assert.unreachable();
  } catch (error) {
    assert.ok(error instanceof TemplateError);
    assert.match(error.message, /strict\.ejs:5/);
    assert.match(error.message, /servr is not defined/);
  }
});

test("a missing property fails with its whole path", () => {
  assert.throws(
    () => renderTemplate(join(fixtures, "strict.ejs"), { port: 80, servr: "x", vars: {} }),
    /vars\.optional is not defined/,
  );
});

test("declared-but-unset vars can be tested; inserting undefined is an error", () => {
  const rendered = renderTemplate(join(fixtures, "strict.ejs"), {
    port: 80,
    servr: "a",
    vars: { optional: undefined },
  });
  assert.is(rendered.content, "listen 80;\nserver a;\n");
  assert.throws(
    () => renderTemplate(join(fixtures, "strict.ejs"), { port: undefined, servr: "a", vars: { optional: undefined } }),
    /undefined/,
  );
});

test("secrets are revealed into the content and mark it sensitive", () => {
  const rendered = renderTemplate(join(fixtures, "../templates/app.env.ejs"), {
    user: "u",
    password: new Secret("p", "pa55word-xyz"),
  });
  assert.is(rendered.content, "DB_USER=u\nDB_PASSWORD=pa55word-xyz\n");
  assert.ok(rendered.sensitive);
  assert.not.ok(
    renderTemplate(join(fixtures, "strict.ejs"), { port: 1, servr: "a", vars: { optional: "o" } }).sensitive,
  );
});

test.run();
