import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isCgroupDescendant, parseCgroupPath } from '../../src/core/oom/cgroupPath';

const UID = 'fbdfe8e3-1c87-4ff2-907c-b2ec8e25d012';
const CID = 'ef807430361e6e82b45db92e2e9b6fbec98f419b12c591e655c1a725565e73a8';

void test('cgroupfs driver: kubepods, QoS tier, pod, container (from the cAdvisor oom-kill line)', () => {
  assert.deepEqual(parseCgroupPath(`/kubepods/burstable/pod${UID}/${CID}`), {
    path: `/kubepods/burstable/pod${UID}/${CID}`,
    kubernetes: true,
    level: 'container',
    qosTier: 'burstable',
    podUid: UID,
    containerId: CID,
    runtime: null,
    podPath: `/kubepods/burstable/pod${UID}`,
    kubepodsPath: '/kubepods',
  });
  const pod = parseCgroupPath(`/kubepods/burstable/pod${UID}`);
  assert.equal(pod.level, 'pod');
  assert.equal(pod.containerId, null);
  assert.equal(parseCgroupPath('/kubepods/besteffort').level, 'qos');
  assert.equal(parseCgroupPath('/kubepods/besteffort').qosTier, 'besteffort');
  assert.equal(parseCgroupPath('/kubepods').level, 'kubepods');
  assert.equal(parseCgroupPath('/kubepods/').level, 'kubepods');
  const guaranteed = parseCgroupPath(
    '/kubepods/pod95387fa4-da9c-11e7-9d36-5254b24cbf5e/6895a3e13439535852d3184ac2aadd26d7363cc035f171545ec7d4ce74073b0b',
  );
  assert.equal(guaranteed.qosTier, 'guaranteed', 'pods directly under kubepods are Guaranteed');
  assert.equal(guaranteed.podUid, '95387fa4-da9c-11e7-9d36-5254b24cbf5e');
  assert.equal(parseCgroupPath(`/kubepods/burstable/pod${UID}/crio-${CID}`).runtime, 'cri-o');
});

void test('systemd driver: underscores back to dashes, runtime from the scope name (gpud line)', () => {
  const p =
    '/lxc.payload.ny2g2r5hh3-lxc/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-podeded8c65_6e8e_4c6e_a889_3e427565c740.slice/cri-containerd-ec9ee26695deb4cc72bc665efff1cf3a03fdfb12f1303e02fe9252985e084a95.scope';
  const c = parseCgroupPath(p);
  assert.equal(c.kubernetes, true);
  assert.equal(c.level, 'container');
  assert.equal(c.qosTier, 'burstable');
  assert.equal(c.podUid, 'eded8c65-6e8e-4c6e-a889-3e427565c740');
  assert.equal(c.containerId, 'ec9ee26695deb4cc72bc665efff1cf3a03fdfb12f1303e02fe9252985e084a95');
  assert.equal(c.runtime, 'containerd');
  assert.equal(c.kubepodsPath, '/lxc.payload.ny2g2r5hh3-lxc/kubepods.slice');
  const be = parseCgroupPath(
    `/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod${UID.replace(/-/g, '_')}.slice/crio-${CID}.scope`,
  );
  assert.deepEqual([be.qosTier, be.podUid, be.runtime, be.level], ['besteffort', UID, 'cri-o', 'container']);
  const g = parseCgroupPath(`/kubepods.slice/kubepods-pod${UID.replace(/-/g, '_')}.slice/docker-${CID}.scope`);
  assert.deepEqual([g.qosTier, g.podUid, g.runtime], ['guaranteed', UID, 'docker']);
  assert.equal(parseCgroupPath('/kubepods.slice/kubepods-burstable.slice').level, 'qos');
});

void test('outside Kubernetes: docker and plain cgroups', () => {
  const d = parseCgroupPath(`/docker/${CID}`);
  assert.deepEqual([d.kubernetes, d.level, d.containerId, d.runtime], [false, 'other', CID, 'docker']);
  const s = parseCgroupPath(`/system.slice/docker-${CID}.scope`);
  assert.deepEqual([s.containerId, s.runtime], [CID, 'docker']);
  const u = parseCgroupPath('/user.slice/user-1000.slice/session-1.scope');
  assert.deepEqual([u.kubernetes, u.podUid, u.containerId], [false, null, null]);
  assert.equal(parseCgroupPath('/kubepods/burstable/not-a-pod').level, 'other');
});

void test('descendants', () => {
  assert.equal(isCgroupDescendant('/a/b', '/a'), true);
  assert.equal(isCgroupDescendant('/ab', '/a'), false);
  assert.equal(isCgroupDescendant('/a', '/a'), false);
  assert.equal(isCgroupDescendant('/a', '/'), true);
});
