// A command's words apart from its options, wherever they stand: a shared or own string option's value is never a
// word, a boolean option takes none, and the words and options keep their order.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { splitWords } from "../../lib/cli/split-words.ts";

test("string options (short, long, --name=value) keep their values; booleans take none; order is kept", () => {
  assert.equal(
    splitWords(["show", "-i", "lab", "abcd", "--check", "extra", "-l", "web-01", "--tags=app", "-v", "-v"]),
    {
      words: ["show", "abcd", "extra"],
      options: ["-i", "lab", "--check", "-l", "web-01", "--tags=app", "-v", "-v"],
    },
  );
  assert.equal(splitWords(["--skip-tags", "nginx", "--forks", "3", "--timeout", "9", "--persist", "5", "w"]), {
    words: ["w"],
    options: ["--skip-tags", "nginx", "--forks", "3", "--timeout", "9", "--persist", "5"],
  });
  assert.equal(splitWords([]), { words: [], options: [] });
});

test("a command's own options: their values are not words; without them declared, the value would be one", () => {
  const extra = { output: { type: "string" as const, short: "o" }, dry: { type: "boolean" as const } };
  assert.equal(splitWords(["-o", "page.html", "abcd", "--dry", "x"], extra), {
    words: ["abcd", "x"],
    options: ["-o", "page.html", "--dry"],
  });
  assert.equal(splitWords(["--output", "page.html", "abcd"], extra).words, ["abcd"]);
  assert.equal(splitWords(["-o", "page.html", "abcd"]).words, ["page.html", "abcd"]);
});

test.run();
