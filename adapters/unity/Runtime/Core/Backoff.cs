// The Runner's reconnect delays, kept apart from the connection they follow (a Session lives for one connection).
using System;

namespace VibeSync.Core
{
    /// <summary>Reconnect delays: doubling from `FirstMs` to `MaxMs`, ±10 % jitter; reset after a welcome.</summary>
    public sealed class Backoff
    {
        public long FirstMs = 500, MaxMs = 30000;
        int attempt;
        readonly Random rng;
        public Backoff(int seed = 1) { rng = new Random(seed); }
        public long Next()
        {
            double baseMs = Math.Min(MaxMs, FirstMs * Math.Pow(2, attempt));
            attempt++;
            return (long)(baseMs * (0.9 + 0.2 * rng.NextDouble()));
        }
        public void Reset() { attempt = 0; }
    }
}
