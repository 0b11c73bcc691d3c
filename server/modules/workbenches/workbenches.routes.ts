import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { instanceContextOf, requireInInstance, useInstanceApi } from '../instance-api/instance-api.js';
import { describeCatalogue } from './workbench-filters.js';
import {
  getAsset,
  getAssetActivity,
  getPluginInfo,
  getPluginOutputs,
  getWorkbenchAssetInfo,
  listAssets,
  listAssetVulnerabilities,
  listPluginPage,
  listWorkbenchAssets,
  listWorkbenchAssetsWithVulnerabilities,
  listWorkbenchVulnerabilities,
} from './workbenches.service.js';
import {
  AssetActivity,
  AssetInfo,
  AssetList,
  AssetParams,
  AssetPluginParams,
  AssetRecord,
  AssetVulnerabilityCountsList,
  AssetWorkbenchQuery,
  FilterCatalogue,
  PluginGroupList,
  PluginInfo,
  PluginListQuery,
  PluginOutputs,
  PluginPage,
  PluginParams,
  VulnerabilityWorkbenchQuery,
  WorkbenchQuery,
} from './workbenches.schemas.js';

/** Assets, workbenches, filter catalogues and plugins (tenable-api.md section 3). */
export async function workbenchesApiRoutes(app: FastifyInstance): Promise<void> {
  useInstanceApi(app);
  const api = app.withTypeProvider<ZodTypeProvider>();
  const read = { onRequest: requireInInstance('instance:read') };

  api.get('/filters/workbenches/assets', { ...read, schema: { response: { 200: FilterCatalogue } } }, async () =>
    describeCatalogue('assets'),
  );
  api.get('/filters/workbenches/vulnerabilities', { ...read, schema: { response: { 200: FilterCatalogue } } }, async () =>
    describeCatalogue('vulnerabilities'),
  );
  api.get('/filters/scans/reports', { ...read, schema: { response: { 200: FilterCatalogue } } }, async () =>
    describeCatalogue('scan-reports'),
  );

  api.get('/assets', { ...read, schema: { response: { 200: AssetList } } }, async (request) => listAssets(instanceContextOf(request)));
  api.get('/assets/:asset_uuid', { ...read, schema: { params: AssetParams, response: { 200: AssetRecord } } }, async (request) =>
    getAsset(instanceContextOf(request), request.params.asset_uuid),
  );

  api.get('/workbenches/assets', { ...read, schema: { querystring: AssetWorkbenchQuery, response: { 200: AssetList } } }, async (request) =>
    listWorkbenchAssets(instanceContextOf(request), request.query),
  );
  api.get(
    '/workbenches/assets/vulnerabilities',
    { ...read, schema: { querystring: WorkbenchQuery, response: { 200: AssetVulnerabilityCountsList } } },
    async (request) => listWorkbenchAssetsWithVulnerabilities(instanceContextOf(request), request.query),
  );
  api.get(
    '/workbenches/assets/:asset_uuid/info',
    { ...read, schema: { params: AssetParams, response: { 200: AssetInfo } } },
    async (request) => getWorkbenchAssetInfo(instanceContextOf(request), request.params.asset_uuid),
  );
  api.get(
    '/workbenches/assets/:asset_uuid/activity',
    { ...read, schema: { params: AssetParams, response: { 200: AssetActivity } } },
    async (request) => getAssetActivity(instanceContextOf(request), request.params.asset_uuid),
  );
  api.get(
    '/workbenches/assets/:asset_uuid/vulnerabilities',
    { ...read, schema: { params: AssetParams, querystring: WorkbenchQuery, response: { 200: PluginGroupList } } },
    async (request) => listAssetVulnerabilities(instanceContextOf(request), request.params.asset_uuid, request.query),
  );
  api.get(
    '/workbenches/assets/:asset_uuid/vulnerabilities/:plugin_id/info',
    { ...read, schema: { params: AssetPluginParams, querystring: WorkbenchQuery, response: { 200: PluginInfo } } },
    async (request) => getPluginInfo(instanceContextOf(request), request.params.plugin_id, request.query, request.params.asset_uuid),
  );

  api.get(
    '/workbenches/vulnerabilities',
    { ...read, schema: { querystring: VulnerabilityWorkbenchQuery, response: { 200: PluginGroupList } } },
    async (request) => listWorkbenchVulnerabilities(instanceContextOf(request), request.query),
  );
  api.get(
    '/workbenches/vulnerabilities/:plugin_id/info',
    { ...read, schema: { params: PluginParams, querystring: WorkbenchQuery, response: { 200: PluginInfo } } },
    async (request) => getPluginInfo(instanceContextOf(request), request.params.plugin_id, request.query),
  );
  api.get(
    '/workbenches/vulnerabilities/:plugin_id/outputs',
    { ...read, schema: { params: PluginParams, querystring: WorkbenchQuery, response: { 200: PluginOutputs } } },
    async (request) => getPluginOutputs(instanceContextOf(request), request.params.plugin_id, request.query),
  );

  api.get('/plugins/plugin', { ...read, schema: { querystring: PluginListQuery, response: { 200: PluginPage } } }, async (request) =>
    listPluginPage(instanceContextOf(request), request.query),
  );
}
