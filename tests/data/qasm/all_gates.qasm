OPENQASM 2.0;
include "qelib1.inc";
gate sx a { sdg a; h a; sdg a; }
gate sxdg a { s a; h a; s a; }
gate p(lambda) a { u1(lambda) a; }
gate swap a,b { cx a, b; cx b, a; cx a, b; }
gate rxx(theta) a,b { h a; h b; cx a, b; rz(theta) b; cx a, b; h a; h b; }
gate ryy(theta) a,b { rx(pi/2) a; rx(pi/2) b; cx a, b; rz(theta) b; cx a, b; rx(-pi/2) a; rx(-pi/2) b; }
gate rzz(theta) a,b { cx a, b; rz(theta) b; cx a, b; }
gate sswap a,b { rxx(pi/4) a, b; ryy(pi/4) a, b; rzz(pi/4) a, b; }
gate crx(lambda) a,b { u1(pi/2) b; cx a, b; u3(-lambda/2, 0, 0) b; cx a, b; u3(lambda/2, -pi/2, 0) b; }
gate cry(lambda) a,b { ry(lambda/2) b; cx a, b; ry(-lambda/2) b; cx a, b; }
gate cp(lambda) a,b { cu1(lambda) a, b; }
gate rzx(theta) a,b { h b; cx a, b; rz(theta) b; cx a, b; h b; }
gate ecr a,b { rzx(pi/4) a, b; x a; rzx(-pi/4) a, b; }
gate shadamard a { ry(pi/4) a; }
qreg q[3];
creg c[1];
id q[0];
h q[1];
x q[2];
y q[0];
z q[1];
s q[2];
sdg q[0];
t q[1];
tdg q[2];
sx q[0];
sxdg q[1];
rx(1.2000000000000002) q[2];
ry(1.3) q[0];
rz(1.4000000000000001) q[1];
p(1.5) q[2];
u1(1.6) q[0];
u2(1.7000000000000002, 1.0000000000000002) q[1];
u3(1.8, 1.1, 0.40000000000000013) q[2];
cx q[0], q[1];
cy q[1], q[2];
cz q[2], q[0];
swap q[0], q[1];
sswap q[1], q[2];
crx(2.4000000000000004) q[2], q[0];
cry(2.5) q[0], q[1];
crz(2.6) q[1], q[2];
cp(2.7) q[2], q[0];
cu1(2.8000000000000003) q[0], q[1];
cu3(2.9000000000000004, 2.2, 1.5000000000000004) q[1], q[2];
rxx(3) q[2], q[0];
ryy(3.1) q[0], q[1];
rzz(3.2) q[1], q[2];
rzx(3.3000000000000003) q[2], q[0];
ecr q[0], q[1];
ccx q[1], q[2], q[0];
shadamard q[2];
measure q[2] -> c[0];
