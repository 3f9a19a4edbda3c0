// Custom gates calling custom gates, with parameters passed through expressions, a barrier in
// a body, and a compatible declaration of a table gate (rzz), which keeps the table gate.
OPENQASM 2.0;
include "qelib1.inc";
gate rzz(theta) a, b { cx a, b; rz(theta) b; cx a, b; }
gate layer(alpha, beta) x, y {
  ry(alpha) x;
  barrier x, y;
  rzz(2*beta) x, y;
}
gate twice(t) x, y { layer(t, -t/2) x, y; layer(pi - t, t) y, x; }
qreg q[3];
twice(0.3) q[0], q[2];
layer(1, 2) q[1], q[0];
