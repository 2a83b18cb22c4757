"""tests/mutants/mutate.py IN FROM TO OUT: OUT is IN with the text FROM
replaced by TO, exactly once. build.zig makes the mutant builds with it; a
FROM that is no longer in IN (the code moved on) fails the build loudly
instead of making a mutant that is not one."""
import sys

src, old, new, out = sys.argv[1:5]
text = open(src).read()
n = text.count(old)
if n != 1:
    sys.exit("mutate.py: %r occurs %d times in %s (must be once)" % (old, n, src))
open(out, "w").write(text.replace(old, new))
