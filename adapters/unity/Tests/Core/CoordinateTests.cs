// Unity (left-handed, +Y up) ↔ the wire (right-handed, +Y up): negate Z, and the quaternion's x and y.
using System;
using NUnit.Framework;
using VibeSync.Core;

namespace VibeSync.Tests
{
    [TestFixture]
    public class CoordinateTests
    {
        [Test]
        public void XAndYAreKeptAndZIsMirrored()
        {
            CollectionAssert.AreEqual(new double[] { 1, 0, 0 }, Coordinates.UnityToCanonicalPosition(1, 0, 0));
            CollectionAssert.AreEqual(new double[] { 0, 1, 0 }, Coordinates.UnityToCanonicalPosition(0, 1, 0));
            CollectionAssert.AreEqual(new double[] { 0, 0, -1 }, Coordinates.UnityToCanonicalPosition(0, 0, 1));
            CollectionAssert.AreEqual(new double[] { 2, 3, 4 }, Coordinates.CanonicalToUnityPosition(Coordinates.UnityToCanonicalPosition(2, 3, 4)));
        }

        static double[] Rotate(double[] q, double[] v)
        {
            // v' = q v q*, for a unit quaternion [x, y, z, w]
            double x = q[0], y = q[1], z = q[2], w = q[3];
            double tx = 2 * (y * v[2] - z * v[1]), ty = 2 * (z * v[0] - x * v[2]), tz = 2 * (x * v[1] - y * v[0]);
            return new[] { v[0] + w * tx + (y * tz - z * ty), v[1] + w * ty + (z * tx - x * tz), v[2] + w * tz + (x * ty - y * tx) };
        }

        static double[] Axis(int axis, double angle)
        {
            var q = new double[] { 0, 0, 0, Math.Cos(angle / 2) };
            q[axis] = Math.Sin(angle / 2);
            return q;
        }

        [TestCase(0)]
        [TestCase(1)]
        [TestCase(2)]
        public void ARotationAboutEachAxisMovesPointsToTheMirroredPlace(int axis)
        {
            // Rotating in Unity and then converting the point equals converting both and rotating on the wire.
            var q = Axis(axis, 0.7);
            var p = new double[] { 0.3, -1.2, 2.5 };
            var inUnity = Rotate(q, p);
            var expected = Coordinates.UnityToCanonicalPosition(inUnity[0], inUnity[1], inUnity[2]);
            var cq = Coordinates.UnityToCanonicalRotation(q[0], q[1], q[2], q[3]);
            var got = Rotate(cq, Coordinates.UnityToCanonicalPosition(p[0], p[1], p[2]));
            for (int i = 0; i < 3; i++) Assert.AreEqual(expected[i], got[i], 1e-12, "axis " + axis + " component " + i);
            CollectionAssert.AreEqual(q, Coordinates.CanonicalToUnityRotation(cq));
        }

        [Test]
        public void HandednessFlips()
        {
            // Unity's left-handed basis: X × Y = +Z (forward). On the right-handed wire, X × Y must equal the converted +Z... negated.
            var x = Coordinates.UnityToCanonicalPosition(1, 0, 0);
            var y = Coordinates.UnityToCanonicalPosition(0, 1, 0);
            var z = Coordinates.UnityToCanonicalPosition(0, 0, 1);
            var cross = new[] { x[1] * y[2] - x[2] * y[1], x[2] * y[0] - x[0] * y[2], x[0] * y[1] - x[1] * y[0] };
            CollectionAssert.AreEqual(new double[] { -z[0], -z[1], -z[2] }, cross);
            // a +90° yaw in Unity (clockwise seen from above) turns forward (+Z) into +X; on the wire that is -Z into +X, counter-clockwise
            var yaw = Axis(1, Math.PI / 2);
            var cq = Coordinates.UnityToCanonicalRotation(yaw[0], yaw[1], yaw[2], yaw[3]);
            var f = Rotate(cq, new double[] { 0, 0, -1 });
            Assert.AreEqual(1, f[0], 1e-12);
            Assert.AreEqual(0, f[2], 1e-12);
        }
    }
}
