using System.Collections;

namespace DataPool.Core.Sync;

/// <summary>
/// The source records a full stream delivered in this run, by record id: a bit each, so delete
/// detection stays cheap in memory (10M records ≈ 1.2 MB) and needs no write per unchanged row.
/// </summary>
internal sealed class SeenSet
{
    private BitArray _bits = new(1024);

    public bool Contains(long id) => id < _bits.Length && _bits[(int)id];

    public void Add(long id)
    {
        if (id >= _bits.Length)
        {
            var grown = new BitArray((int)Math.Max(id + 1, _bits.Length * 2L));
            for (var i = 0; i < _bits.Length; i++)
            {
                grown[i] = _bits[i];
            }

            _bits = grown;
        }

        _bits[(int)id] = true;
    }
}
