// The npx tsx floor: an empty program, so that `npx tsx` of it times tsx's own start (bench/as-typed.ts).
