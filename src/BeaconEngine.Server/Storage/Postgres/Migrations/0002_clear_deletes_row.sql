-- Clearing a grain's state (a shopper's erasure, a retired key, a consumed code) deletes its row: no row is
-- left keyed by the erased id. It was an UPDATE that kept the row, its key and a null payload.
--
-- A stale activation must still not write back what was cleared. The clear returns the negated next version
-- as the grain's ETag, which no row ever holds: a stale activation's positive version matches no row and its
-- write is refused, while the activation that cleared (and only it, holding the negative ETag) may write
-- again, which inserts the row with the version numbering carried on.

UPDATE OrleansQuery SET QueryText = '
    DELETE FROM OrleansStorage
    WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash AND ServiceId = @ServiceId
        AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1 AND GrainTypeString = @GrainTypeString
        AND COALESCE(GrainIdExtensionString, '''') = COALESCE(@GrainIdExtensionString, '''')
        AND Version = @GrainStateVersion
    RETURNING -(Version + 1) AS NewGrainStateVersion;'
WHERE QueryKey = 'ClearStorageKey';

CREATE OR REPLACE FUNCTION write_to_storage(
    _GrainIdHash integer,
    _GrainIdN0 bigint,
    _GrainIdN1 bigint,
    _GrainTypeHash integer,
    _GrainTypeString varchar,
    _GrainIdExtensionString varchar,
    _ServiceId varchar,
    _GrainStateVersion integer,
    _PayloadBinary bytea)
  RETURNS TABLE(NewGrainStateVersion integer) AS
$func$
DECLARE
    RowCountVar integer := 0;
BEGIN
    IF _GrainStateVersion IS NOT NULL AND _GrainStateVersion > 0 THEN
        UPDATE OrleansStorage
        SET PayloadBinary = _PayloadBinary, ModifiedOn = now(), Version = Version + 1
        WHERE GrainIdHash = _GrainIdHash AND GrainTypeHash = _GrainTypeHash AND ServiceId = _ServiceId
            AND GrainIdN0 = _GrainIdN0 AND GrainIdN1 = _GrainIdN1 AND GrainTypeString = _GrainTypeString
            AND COALESCE(GrainIdExtensionString, '') = COALESCE(_GrainIdExtensionString, '')
            AND Version = _GrainStateVersion;
        GET DIAGNOSTICS RowCountVar = ROW_COUNT;
        RETURN QUERY SELECT CASE WHEN RowCountVar > 0 THEN _GrainStateVersion + 1 ELSE _GrainStateVersion END;
    ELSE
        -- A first write (no version), or the first write after this activation's own clear (a negative version).
        INSERT INTO OrleansStorage
            (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, GrainIdExtensionString, ServiceId, PayloadBinary, ModifiedOn, Version)
        VALUES
            (_GrainIdHash, _GrainIdN0, _GrainIdN1, _GrainTypeHash, _GrainTypeString, _GrainIdExtensionString, _ServiceId, _PayloadBinary, now(),
             COALESCE(-_GrainStateVersion, 1))
        ON CONFLICT DO NOTHING;
        GET DIAGNOSTICS RowCountVar = ROW_COUNT;
        RETURN QUERY SELECT CASE WHEN RowCountVar > 0 THEN COALESCE(-_GrainStateVersion, 1) ELSE _GrainStateVersion END;
    END IF;
END
$func$ LANGUAGE plpgsql;
