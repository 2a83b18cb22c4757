"""tests/mutants/mutate.py IN OUT FROM TO [FROM TO ...]: OUT is IN with each
text FROM replaced by its TO, each exactly once. build.zig makes the mutant
builds with it; a FROM that is no longer in IN (the code moved on) fails the
build loudly instead of making a mutant that is not one."""
import sys

src, out, pairs = sys.argv[1], sys.argv[2], sys.argv[3:]
text = open(src).read()
if not pairs or len(pairs) % 2:
    sys.exit("mutate.py: FROM TO pairs expected")
for old, new in zip(pairs[0::2], pairs[1::2]):
    n = text.count(old)
    if n != 1:
        sys.exit("mutate.py: %r occurs %d times in %s (must be once)" % (old, n, src))
    text = text.replace(old, new)
open(out, "w").write(text)
