// Several registers (flattened in declaration order: a → 0..1, b → 2..3, r → 4),
// broadcasting and both measure forms.
OPENQASM 2.0;
include "qelib1.inc";
qreg a[2];
creg m[2];
qreg b[2];
qreg r[1];
creg n[3];
reset a;
h a;
cx a, b;
cx r[0], a;
barrier a, b[1], r;
measure a -> m;
measure b[1] -> n[2];
