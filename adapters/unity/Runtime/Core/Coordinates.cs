// Unity is left-handed, +Y up, metres; the wire is right-handed, +Y up (glTF). The conversion
// mirrors across the XY plane: negate Z of positions, and x and y of quaternions. It is its own inverse.
namespace VibeSync.Core
{
    public static class Coordinates
    {
        public static double[] UnityToCanonicalPosition(double x, double y, double z) { return new[] { x, y, -z }; }
        public static double[] CanonicalToUnityPosition(double[] p) { return new[] { p[0], p[1], -p[2] }; }
        public static double[] UnityToCanonicalRotation(double x, double y, double z, double w) { return new[] { -x, -y, z, w }; }
        public static double[] CanonicalToUnityRotation(double[] q) { return new[] { -q[0], -q[1], q[2], q[3] }; }
        /// <summary>Scale is a magnitude per local axis: unchanged by the mirror.</summary>
        public static double[] UnityToCanonicalScale(double x, double y, double z) { return new[] { x, y, z }; }
    }
}
