module github.com/vmware-tanzu/velero

go 1.26
