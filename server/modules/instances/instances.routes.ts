import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AssetDetailResponse,
  AssetListResponse,
  AssetParams,
  DashboardResponse,
  FindingDetailResponse,
  FindingListResponse,
  FindingParams,
  InstanceResponse,
  ListAssetsQuery,
  ListFindingsQuery,
  ListVulnerabilitiesQuery,
  PluginParams,
  PluginResponse,
  VulnerabilityListResponse,
} from '../../../common/schemas/instances.js';
import { InstanceParams } from '../../../common/schemas/scans.js';
import { contextOf } from '../../http/authenticate.js';
import { authorizeInInstance } from './instance-access.js';
import {
  enterInstance,
  getAsset,
  getDashboard,
  getFinding,
  getInstance,
  getPlugin,
  leaveInstance,
  listAssets,
  listFindings,
  listVulnerabilities,
} from './instances.service.js';

/** A customer instance's pages: every route is scoped to one account and answers 404 outside it. */
export async function instancesRoutes(app: FastifyInstance): Promise<void> {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['instances'];
  const read = authorizeInInstance('instance:read');

  routes.get(
    '/api/instances/:accountId',
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'The instance: name, logo, licensed apps, licences with asset counts',
        params: InstanceParams,
        response: { 200: InstanceResponse },
      },
    },
    async (request) => getInstance(contextOf(request), request.params.accountId),
  );
  routes.post(
    '/api/instances/:accountId/sso',
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'Single sign-on from the MSSP portal: enter the instance (audited)',
        params: InstanceParams,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await enterInstance(contextOf(request), request.params.accountId);
      return reply.status(204).send(null);
    },
  );
  routes.post(
    '/api/instances/:accountId/sso/leave',
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'Leave the instance back to the MSSP portal (audited)',
        params: InstanceParams,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await leaveInstance(contextOf(request), request.params.accountId);
      return reply.status(204).send(null);
    },
  );
  routes.get(
    '/api/instances/:accountId/dashboard',
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'Open findings by severity, trend, most vulnerable assets, most widespread plugins',
        params: InstanceParams,
        response: { 200: DashboardResponse },
      },
    },
    async (request) => getDashboard(contextOf(request), request.params.accountId),
  );
  routes.get(
    '/api/instances/:accountId/vulnerabilities',
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'Findings grouped by plugin, with affected asset counts',
        params: InstanceParams,
        querystring: ListVulnerabilitiesQuery,
        response: { 200: VulnerabilityListResponse },
      },
    },
    async (request) => listVulnerabilities(contextOf(request), request.params.accountId, request.query),
  );
  routes.get(
    '/api/instances/:accountId/plugins/:pluginId',
    {
      preHandler: read,
      schema: { tags, summary: 'One plugin as the instance knows it', params: PluginParams, response: { 200: PluginResponse } },
    },
    async (request) => getPlugin(contextOf(request), request.params.accountId, request.params.pluginId),
  );
  routes.get(
    '/api/instances/:accountId/findings',
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'Findings, by plugin or asset',
        params: InstanceParams,
        querystring: ListFindingsQuery,
        response: { 200: FindingListResponse },
      },
    },
    async (request) => listFindings(contextOf(request), request.params.accountId, request.query),
  );
  routes.get(
    '/api/instances/:accountId/findings/:findingId',
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'One finding: plugin text, output, CVSS, CVEs, state history',
        params: FindingParams,
        response: { 200: FindingDetailResponse },
      },
    },
    async (request) => getFinding(contextOf(request), request.params.accountId, request.params.findingId),
  );
  routes.get(
    '/api/instances/:accountId/assets',
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'Assets (hosts or web applications) with open findings by severity',
        params: InstanceParams,
        querystring: ListAssetsQuery,
        response: { 200: AssetListResponse },
      },
    },
    async (request) => listAssets(contextOf(request), request.params.accountId, request.query),
  );
  routes.get(
    '/api/instances/:accountId/assets/:assetId',
    {
      preHandler: read,
      schema: { tags, summary: 'One asset with its properties', params: AssetParams, response: { 200: AssetDetailResponse } },
    },
    async (request) => getAsset(contextOf(request), request.params.accountId, request.params.assetId),
  );
}
