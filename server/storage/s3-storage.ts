import { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Config } from '../config.js';
import { assertValidKey, StoredObjectNotFoundError, type FileStorage } from './storage.js';

type S3Settings = Extract<Config['storage'], { kind: 's3' }>;

/** The AWS SDK (~25 MiB of memory once loaded): loaded on first use, so servers on local storage never carry it. */
async function loadSdk() {
  const [s3, storage] = await Promise.all([import('@aws-sdk/client-s3'), import('@aws-sdk/lib-storage')]);
  return { ...s3, Upload: storage.Upload };
}

/** The S3 client settings of a storage configuration (shared with the tus S3 store of uploads). */
export function s3ClientSettings(settings: S3Settings) {
  return {
    region: settings.region,
    endpoint: settings.endpoint ?? undefined,
    forcePathStyle: settings.forcePathStyle,
    credentials:
      settings.accessKeyId && settings.secretAccessKey
        ? { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey }
        : undefined,
  };
}

/** S3-compatible object storage. Uploads are multipart and streamed (5 MiB parts, 4 in flight). */
export function createS3Storage(settings: S3Settings): FileStorage {
  const Bucket = settings.bucket;
  let connecting: Promise<{ sdk: Awaited<ReturnType<typeof loadSdk>>; client: S3Client }> | null = null;
  const connect = () =>
    (connecting ??= loadSdk().then((sdk) => ({
      sdk,
      client: new sdk.S3Client(s3ClientSettings(settings)),
    })));
  const isMissing = (sdk: Awaited<ReturnType<typeof loadSdk>>, error: unknown) =>
    error instanceof sdk.NoSuchKey || error instanceof sdk.NotFound;
  return {
    kind: 's3',
    async put(key, body) {
      assertValidKey(key);
      const { sdk, client } = await connect();
      const upload = new sdk.Upload({ client, params: { Bucket, Key: key, Body: body }, partSize: 5 * 1024 * 1024, queueSize: 4 });
      await upload.done();
      const head = await client.send(new sdk.HeadObjectCommand({ Bucket, Key: key }));
      return { key, size: head.ContentLength ?? 0 };
    },
    async get(key) {
      assertValidKey(key);
      const { sdk, client } = await connect();
      try {
        const result = await client.send(new sdk.GetObjectCommand({ Bucket, Key: key }));
        if (!(result.Body instanceof Readable)) throw new Error('S3 returned a body that is not a Node stream');
        return result.Body;
      } catch (error) {
        if (isMissing(sdk, error)) throw new StoredObjectNotFoundError(key);
        throw error;
      }
    },
    async stat(key) {
      assertValidKey(key);
      const { sdk, client } = await connect();
      try {
        const head = await client.send(new sdk.HeadObjectCommand({ Bucket, Key: key }));
        return { key, size: head.ContentLength ?? 0 };
      } catch (error) {
        if (isMissing(sdk, error)) return null;
        throw error;
      }
    },
    async delete(key) {
      assertValidKey(key);
      const { sdk, client } = await connect();
      await client.send(new sdk.DeleteObjectCommand({ Bucket, Key: key }));
    },
  };
}
