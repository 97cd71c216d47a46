// The importer of the host's in-memory scene: faithful (it holds what it was sent, and remembers every mesh and
// image file it has held), or one of the quirks a test switches on (the quirk-* commands) to play an engine whose
// import differs from what it was sent: names truncated, a crash, a mesh or an image file changed.
using System;
using System.Collections.Generic;
using VibeSync.Core;

sealed class ImportQuirks
{
    readonly MemoryScene scene;
    readonly HashSet<MeshGeometry> seen = new HashSet<MeshGeometry>(); // every mesh this engine has held (for quirk-corrupt-mesh)
    readonly HashSet<byte[]> seenFiles = new HashSet<byte[]>(); // every image file this engine has held (for quirk-corrupt-texture)
    readonly Func<SceneObject, SceneObject> faithful;
    readonly Func<Material, Material> faithfulMaterial;

    /// <summary>Gives the scene the faithful importers.</summary>
    public ImportQuirks(MemoryScene scene)
    {
        this.scene = scene;
        faithful = o => { if (o.Geometry != null) seen.Add(o.Geometry); return o; };
        scene.Import = faithful;
        faithfulMaterial = m => { foreach (var t in m.Textures) if (t.Bytes != null) seenFiles.Add(t.Bytes); return m; };
        scene.ImportMaterial = faithfulMaterial;
    }

    /// <summary>quirk-truncate-names: an importer that cuts names longer than `max`.</summary>
    public void TruncateNames(int max)
    {
        scene.Import = o => { if (o.Name.Length > max) o.Name = o.Name.Substring(0, max); return o; };
    }

    /// <summary>quirk-crash-on-import: an importer that throws for an object whose name starts with "crash".</summary>
    public void CrashOnImport()
    {
        scene.Import = o => { if (o.Name.StartsWith("crash", StringComparison.Ordinal)) throw new VibeSyncException("TARGET_FAILED", "Unity crash during import of " + o.Id); return o; };
    }

    public void CorruptMesh(string victim)
    {
        // quirk-corrupt-mesh: an importer that moves one vertex of object `victim` by 1 cm whenever that object takes a
        // mesh it has not held before (a rollback or resync back to a mesh it held is kept as it is)
        scene.Import = o =>
        {
            if (o.Id == victim && o.Geometry != null && !seen.Contains(o.Geometry))
            {
                var p = (double[])o.Geometry.Positions.Clone();
                p[0] = MeshBlob.Fround(p[0] + 0.01);
                o.Geometry = new MeshGeometry { Positions = p, FaceSizes = o.Geometry.FaceSizes, Slots = o.Geometry.Slots, Corners = o.Geometry.Corners, Uvs = o.Geometry.Uvs };
            }
            return faithful(o);
        };
    }

    public void CorruptTexture()
    {
        // quirk-corrupt-texture: an importer that changes the last byte of every image file it has not held before (its
        // header, so its size, is intact; its SHA-256 is not); a rollback or resync back to a file it held is kept as it is
        scene.ImportMaterial = m =>
        {
            for (int i = 0; i < m.Textures.Count; i++)
            {
                var t = m.Textures[i];
                if (t.Bytes == null || seenFiles.Contains(t.Bytes)) continue;
                var bad = (byte[])t.Bytes.Clone();
                bad[bad.Length - 1] ^= 0xff;
                m.Textures[i] = new Texture { Slot = t.Slot, Bytes = bad, Blob = true };
            }
            return faithfulMaterial(m);
        };
    }

    /// <summary>quirk-none: the faithful importers again.</summary>
    public void None() { scene.Import = faithful; scene.ImportMaterial = faithfulMaterial; }
}
